"""Loading and running the pretrained parts of the English pipelines."""
