"""The bundled JSON Schema for nexlayer.yaml (data, shipped inside the wheel)."""
