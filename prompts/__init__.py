"""LLM prompts (Jinja templates), shipped in the wheel as ``skill.prompts``."""
