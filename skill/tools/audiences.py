"""Tools for audiences: customer lists (hashed here), website audiences, lookalikes, the list."""

from __future__ import annotations

from pydantic import BaseModel

from skill.registry import Args, ToolContext, arg, tool


class AudienceCreateArgs(Args):
    name: str = arg(description="The audience's name in the ad account (looked up first: never created twice)",
                    positional=True)
    customers: str = arg(description="Customer CSV inside the workspace (email, phone, first_name, last_name, city, "
                         "state, zip, country, dob, gender, external_id columns)", metavar="FILE")
    country: str | None = arg(None, "Country (ISO code, e.g. US) for rows without one: phone country codes and the "
                              "country key")
    skip_bad_rows: bool = arg(False, "Leave out rows with a bad cell (says how many) instead of stopping")
    dry_run: bool = arg(False, "Check and hash the list and show what would be sent; send nothing")
    allow_folder: list[str] | None = arg(None, "Also accept the list from this folder outside the workspace",
                                         metavar="DIR")


@tool("audience_create", AudienceCreateArgs, command=("audience", "create"), safety="write", examples=(
    "meta-ads audience create \"VIP buyers\" --customers audiences/customers.csv --dry-run",
    "meta-ads audience create \"VIP buyers\" --customers audiences/customers.csv --sandbox",
    "meta-ads audience create \"VIP buyers\" --customers audiences/customers.csv --skip-bad-rows --json",
))
def audience_create(args: AudienceCreateArgs, ctx: ToolContext) -> BaseModel:
    """Create a customer-list audience from a CSV: hashed on this machine, uploaded in resumable sessions.

    Every value is normalised and SHA-256 hashed per Meta's rules before anything is sent; raw
    personal data never leaves the machine nor lands in any output or file. A bad row stops
    everything (row and column named) unless skip_bad_rows. Re-running resumes an interrupted
    upload and never creates a second audience of the same name.
    """
    from skill.audiences.jobs import create_customer_audience
    from skill.tools.upload import with_allowed

    client = None if args.dry_run else ctx.client()
    return create_customer_audience(with_allowed(ctx.settings, args.allow_folder), client, args.name, args.customers, default_country=args.country,
                                    skip_bad_rows=args.skip_bad_rows, dry_run=args.dry_run, report=ctx.report)


class AudienceWebsiteArgs(Args):
    name: str = arg(description="The audience's name in the ad account", positional=True)
    url_contains: str | None = arg(None, "People who visited a URL containing this text", metavar="TEXT")
    event: str | None = arg(None, "People who fired this pixel event (e.g. Purchase, AddToCart)")
    days: int = arg(30, "Within the last N days (1 to 180)", metavar="N")
    pixel: str | None = arg(None, "Pixel id (default: the ad account's only pixel)")
    dry_run: bool = arg(False, "Show the rule that would be sent; send nothing")


@tool("audience_website", AudienceWebsiteArgs, command=("audience", "website"), safety="write", examples=(
    "meta-ads audience website \"Cart visitors 14d\" --url-contains /cart --days 14 --sandbox",
    "meta-ads audience website \"Purchasers 180d\" --event Purchase --days 180 --dry-run",
))
def audience_website(args: AudienceWebsiteArgs, ctx: ToolContext) -> BaseModel:
    """Create a website audience from the pixel: visited a URL containing X and/or fired an event, within N days."""
    from skill.audiences.jobs import create_website_audience

    client = None if args.dry_run else ctx.client()
    return create_website_audience(ctx.settings, client, args.name, pixel=args.pixel, url_contains=args.url_contains,
                                   event=args.event, days=args.days, dry_run=args.dry_run, report=ctx.report)


class AudienceLookalikeArgs(Args):
    source: str = arg(description="Name of the audience to find people like (any kind)", positional=True)
    country: str = arg(description="Country to find them in (ISO code, e.g. US)")
    percent: int = arg(1, "Size: 1 (closest match) to 10 (broadest) percent of the country", metavar="N")
    name: str | None = arg(None, "Name of the new audience (default: the source's name + ' - lookalike ' + country and percent)")
    dry_run: bool = arg(False, "Show what would be sent; send nothing")


@tool("audience_lookalike", AudienceLookalikeArgs, command=("audience", "lookalike"), safety="write", examples=(
    "meta-ads audience lookalike \"VIP buyers\" --country US --percent 1 --sandbox",
    "meta-ads audience lookalike \"Purchasers 180d\" --country GB --percent 3 --dry-run",
))
def audience_lookalike(args: AudienceLookalikeArgs, ctx: ToolContext) -> BaseModel:
    """Create a lookalike of an audience: people in one country most like its members (1 to 10 percent)."""
    from skill.audiences.jobs import create_lookalike

    client = None if args.dry_run else ctx.client()
    return create_lookalike(ctx.settings, client, args.source, country=args.country, percent=args.percent,
                            name=args.name, dry_run=args.dry_run, report=ctx.report)


class NoArgs(Args):
    pass


@tool("audiences", NoArgs, safety="read", examples=("meta-ads audiences", "meta-ads audiences --sandbox --json"))
def audiences(args: NoArgs, ctx: ToolContext) -> BaseModel:
    """List the ad account's custom audiences with their size ranges and status."""
    from skill.audiences.accounts import list_audiences

    return list_audiences(ctx.client(), ctx.settings.require_ad_account())
