"""Investigate and rank (摸底排队): KPIs per team, the rubric, tiers, ranking, diagnosis."""
