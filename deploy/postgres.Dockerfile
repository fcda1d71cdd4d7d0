# PostgreSQL 15 for deploy/compose.yaml, built from a Debian base (no registry needed). Where a
# registry is reachable, `image: postgres:15` with POSTGRES_USER/POSTGRES_DB does the same.
# Trust authentication on 127.0.0.1 only: with host networking it is reachable from this machine
# alone; set a password (and md5/scram in pg_hba.conf) before exposing it anywhere else.
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-15 \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/postgresql/data /var/run/postgresql \
    && chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
USER postgres
ENV PATH=/usr/lib/postgresql/15/bin:$PATH PGDATA=/var/lib/postgresql/data
VOLUME ["/var/lib/postgresql/data"]
COPY postgres-start.sh /usr/local/bin/postgres-start
CMD ["postgres-start"]
