"""Vodiy bozor bot."""
