-- Which people each institution category serves: the indicator whose numerator is the target population.
-- Parameters: none.
SELECT s.category, s.population_indicator, s.label, i.name AS indicator_name
FROM supply_targets AS s
JOIN indicators AS i ON i.indicator_id = s.population_indicator
ORDER BY s.category
