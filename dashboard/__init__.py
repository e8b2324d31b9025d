"""The analysts' dashboard: a read-only Streamlit face over the warehouse marts (see dashboard/app.py)."""
