"""Tier 1, the experiments: cases, the keyed training unit, runs, their folders, what they say."""
