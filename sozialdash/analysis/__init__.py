"""Pure statistics behind the dashboard: intervals, comparisons, suppression and map classes."""
