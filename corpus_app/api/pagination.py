"""Page-number pagination with a hard ceiling, and the paging facts repeated in headers for CSV clients."""

from rest_framework.pagination import PageNumberPagination


class CorpusPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    # A client asking for more gets this many: one response stays bounded however large the corpus.
    max_page_size = 500

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        # A CSV body has no room for "next", so every format also gets RFC 8288 links and the total.
        response["X-Total-Count"] = str(self.page.paginator.count)
        links = [(self.get_next_link(), "next"), (self.get_previous_link(), "prev")]
        link_header = ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
        if link_header:
            response["Link"] = link_header
        return response
