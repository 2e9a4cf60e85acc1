"""External services of after-sales: the activation-lock check and identity verification."""
