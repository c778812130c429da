"""The app's widgets: sidebar, grids, cell editor, status panel."""
