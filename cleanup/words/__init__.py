"""Word repair: tokens, OCR-aware candidates, the learned noisy channel, context.

The stage that uses them is `cleanup.stages.words`."""
