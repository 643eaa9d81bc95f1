"""Which module holds each command's tool, and its one-line help: ``--help`` without importing every tool.

The CLI builds its subcommands from this index and imports a tool's module (and builds its input
model) only when that command runs or shows its own help. ``tests/test_command_index.py`` keeps it
equal to the registry; a new tool adds its row here (the test prints the row it expects).
"""

from __future__ import annotations

# (command words, module under skill/tools/, tool name, summary: the first line of the tool's docstring)
INDEX: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (('validate',), 'upload', 'validate',
     "Check a campaign's batch (copy lengths, CTAs, images) without calling Meta."),
    (('upload',), 'upload', 'upload',
     "Upload a campaign's batch: images, then creatives, then ads, always PAUSED."),
    (('copy',), 'copy', 'copy',
     'Write ad copy for images with Claude: a valid asset_feed_spec and a copy document per image.'),
    (('insights',), 'insights', 'insights',
     'Report how ads did: totals, ads ranked by cost per result against target_cpa, breakdowns, a chart.'),
    (('daily-check',), 'insights', 'daily_check',
     'The morning check: spend pace against budget, results and CPA against target, anything broken.'),
    (('bleeders',), 'insights', 'bleeders',
     'Ads losing money: CPA over target_cpa with enough impressions to judge, or CTR under min_ctr.'),
    (('winners',), 'insights', 'winners',
     'Ads to scale: the best cost per result, beating target_cpa (or the campaign average).'),
    (('fatigue',), 'insights', 'fatigue',
     'Creative fatigue: frequency above max_frequency, or CTR falling over the period.'),
    (('pause',), 'account', 'pause',
     'Pause ads, ad sets or campaigns (stops spend; no confirmation needed). Says which kind each one is.'),
    (('activate',), 'account', 'activate',
     'Activate ads, ad sets or campaigns: they start spending. Unconfirmed, it only shows what would start.'),
    (('auth', 'check'), 'account', 'auth_check',
     'Check the token: valid?, expiry (warns within 7 days), scopes, and the ad accounts it reaches.'),
    (('preview',), 'preview', 'preview',
     'Previews of an ad per placement, as HTML.'),
    (('launch',), 'launch', 'launch',
     'Launch a campaign from the workspace: campaign → ad sets → images → creatives → ads, all PAUSED.'),
    (('audience', 'create'), 'audiences', 'audience_create',
     'Create a customer-list audience from a CSV: hashed on this machine, uploaded in resumable sessions.'),
    (('audience', 'website'), 'audiences', 'audience_website',
     'Create a website audience from the pixel: visited a URL containing X and/or fired an event, within N days.'),
    (('audience', 'lookalike'), 'audiences', 'audience_lookalike',
     'Create a lookalike of an audience: people in one country most like its members (1 to 10 percent).'),
    (('audiences',), 'audiences', 'audiences',
     "List the ad account's custom audiences with their size ranges and status."),
    (('pixel', 'check'), 'tracking', 'pixel_check',
     "Is the pixel firing? Its events of the last 7 days, and whether the ad sets' events fire."),
    (('capi', 'send'), 'tracking', 'capi_send',
     'Send server events (Conversions API) with event_id for deduplication and hashed user data.'),
    (('budget',), 'act', 'budget',
     "Change the budget or bid of an ad set or a CBO campaign. Increases wait for the user's yes; decreases don't."),
    (('history',), 'act', 'history',
     'The change log: every budget, status and refresh action the kit took, who asked and when.'),
    (('refresh',), 'act', 'refresh',
     'Refresh a tired ad: a new creative from a new spec, then swap it in or make a v2 ad (PAUSED).'),
)
