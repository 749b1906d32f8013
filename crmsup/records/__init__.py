"""The domain and its persistence: models, migrations, sessions and one service per area."""
