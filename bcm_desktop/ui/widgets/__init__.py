"""Small reusable input widgets: amounts, quantities, percentages and optional dates."""
