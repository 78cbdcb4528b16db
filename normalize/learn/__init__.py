"""Rule learning: propose rules from what repeats in a dataset (`metanorm rules learn`)."""
