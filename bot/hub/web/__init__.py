"""HTTP layer of the hub: routes, middlewares, OpenAPI, static widget and console."""
