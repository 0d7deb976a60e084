"""Tests of bot/shared: run in both environments."""
