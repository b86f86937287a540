"""Benchmarks: synthetic cities at several scales, and the figures that say how the store and the Karte cope."""
