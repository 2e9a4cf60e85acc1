"""After-sales: claims, returns, messages between buyers and sellers, identity checks,
reviews and surveys."""
