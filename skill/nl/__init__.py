"""Natural language in: a sentence becomes one tool call.

The rule-based router (grammar, intents, mentions) answers first; the model is asked only when it cannot.
"""
