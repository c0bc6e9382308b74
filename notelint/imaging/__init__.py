"""Images: each file opened and decoded once, and what the image rules and the report read of it.

* `opener.py`: the one capped opener (regular files only, pixel limit from the header, one decode);
* `probe.py`: the verdict of unreadable-image; `hashing.py`: the signature duplicate-image compares;
  `thumbnails.py`: the HTML report's previews, all read from one `opener.Opened`;
* `facts.py`: one cached fact per image and run, shared by the rules and the report;
* `cache.py`: the image cache (`.notelint_cache/images.json`: signatures and previews by content);
* `groups.py`: which images are the same picture.

Pillow, imagehash and numpy are imported inside functions, only when an image is read.
"""
