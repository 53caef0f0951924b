"""The Streamlit dashboard: ``app.py`` routes, ``views/`` draw, ``loaders.py`` reads the warehouse."""
