# The official Odoo 18.0 image with the addon's own Python requirements (requirements.txt
# at the repository's root). docker-compose.yml builds it and mounts the addon itself.
FROM odoo:18.0

USER root
COPY requirements.txt /tmp/kawasan_industri_verif-requirements.txt
# Debian's Python in the image is marked externally managed; the image is ours to change.
RUN pip3 install --no-cache-dir --break-system-packages \
        -r /tmp/kawasan_industri_verif-requirements.txt \
    && rm /tmp/kawasan_industri_verif-requirements.txt
USER odoo
