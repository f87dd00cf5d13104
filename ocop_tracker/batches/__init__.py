"""Evaluation batches (đợt đánh giá) a province opens and closes; the model lives in reviews.models."""
