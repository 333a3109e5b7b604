"""Read Indonesian news in English: fetch, extract, translate and summarise an article.

Importing this package is cheap: it imports neither torch nor gradio. The library
entry points are `service.pipeline.run` and `service.acquire.acquire`.
"""

from .article import Article
from .config import Settings
from .errors import ServiceError

__all__ = ["Article", "Settings", "ServiceError"]
__version__ = "0.1.0"
