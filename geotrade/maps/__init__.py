"""Web (folium) and static (matplotlib) maps drawn from a shared LayerStyle."""
