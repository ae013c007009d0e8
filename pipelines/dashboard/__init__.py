"""The Streamlit dashboard (make dashboard)."""
