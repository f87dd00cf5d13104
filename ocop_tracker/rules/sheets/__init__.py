"""The official scoring sheets per rule set: data generated from the decision's annex by build.py."""

from .loader import (
           Criterion,
           CriterionGroup,
           Heading,
           Option,
           Part,
           ProductCode,
           Section,
           Sheet,
           Sheets,
           criterion_numbers,
           load_sheets,
)

__all__ = ["Criterion", "CriterionGroup", "Heading", "Option", "Part", "ProductCode", "Section", "Sheet", "Sheets",
           "criterion_numbers", "load_sheets"]
