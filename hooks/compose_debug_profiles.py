"""Debug and admin tools in a compose file only start when asked for.

## What it does
Reports a service whose image is a debug or admin tool and that has no `profiles:`, so that
it starts with every `docker compose up`. Judged by the image name (registry and tag
ignored): pgAdmin (`dpage/pgadmin4`), RedisInsight (`redis/redisinsight`,
`redislabs/redisinsight`), redis-commander, Adminer, phpMyAdmin, mongo-express, MailHog,
Mailpit, MailDev, MailCatcher, kafka-ui (`provectuslabs/kafka-ui`, `kafbat/kafka-ui`), AKHQ,
Kafdrop, Dozzle, pgweb, DbGate and CloudBeaver. The list can be extended or trimmed.

## Why is this bad?
Admin consoles are powerful, often run with default credentials and publish a port: started
by default they widen the attack surface of every environment the file reaches, and they
cost memory on every developer machine. With `profiles: [debug]` they start only with
`docker compose --profile debug up`.

## Example
```yaml
services:
  pgadmin:
    image: dpage/pgadmin4:8.14
    ports:
      - "5050:80"
```

## Use instead
```yaml
services:
  pgadmin:
    image: dpage/pgadmin4:8.14
    profiles: [debug]
    ports:
      - "127.0.0.1:5050:80"
```

## Options
- `--extra-debug-images GLOBS`: more images that are debug or admin tools (names without
  registry or tag, e.g. `myorg/db-console`).
- `--allowed-debug-images GLOBS`: images from the list that may start by default.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from collections.abc import Sequence
from types import SimpleNamespace

from dockhooks._compose import ComposeFile
from dockhooks._findings import Problem
from dockhooks._hook import run_hook
from dockhooks._images import parse_image

CODE = 'DH203'
ID = 'compose-debug-profiles'
SUMMARY = 'debug and admin tools (pgAdmin, RedisInsight, Adminer, ...) have profiles:'
SEVERITY = 'error'
OPTIONS = ('extra-debug-images', 'allowed-debug-images')

DEBUG_IMAGES = {
    'dpage/pgadmin4': 'pgAdmin', 'dpage/pgadmin': 'pgAdmin',
    'redis/redisinsight': 'RedisInsight', 'redislabs/redisinsight': 'RedisInsight',
    'rediscommander/redis-commander': 'redis-commander', 'redis-commander': 'redis-commander',
    'adminer': 'Adminer', 'phpmyadmin': 'phpMyAdmin', 'phpmyadmin/phpmyadmin': 'phpMyAdmin',
    'mongo-express': 'mongo-express', 'mailhog/mailhog': 'MailHog', 'axllent/mailpit': 'Mailpit',
    'maildev/maildev': 'MailDev', 'djfarrelly/maildev': 'MailDev',
    'schickling/mailcatcher': 'MailCatcher', 'sj26/mailcatcher': 'MailCatcher',
    'provectuslabs/kafka-ui': 'kafka-ui', 'kafbat/kafka-ui': 'kafka-ui',
    'tchiotludo/akhq': 'AKHQ', 'obsidiandynamics/kafdrop': 'Kafdrop', 'amir20/dozzle': 'Dozzle',
    'sosedoff/pgweb': 'pgweb', 'dbgate/dbgate': 'DbGate', 'dbeaver/cloudbeaver': 'CloudBeaver',
}


def debug_tool(image: str, extra: Sequence[str], allowed: Sequence[str]) -> str | None:
    ref = parse_image(image)
    name = ref.name[len('library/'):] if ref.name.startswith('library/') else ref.name
    if any(fnmatch.fnmatchcase(name, g) for g in allowed):
        return None
    if name in DEBUG_IMAGES:
        return DEBUG_IMAGES[name]
    if any(fnmatch.fnmatchcase(name, g) for g in extra):
        return name
    return None


def check(cf: ComposeFile, opts: SimpleNamespace) -> Iterator[Problem]:
    for service in cf.services:
        image = service.image
        if image is None or service.profiles:
            continue
        tool = debug_tool(image, opts.extra_debug_images, opts.allowed_debug_images)
        if tool is None:
            continue
        yield Problem(
            service.line, service.col,
            f'service {service.name} runs {tool}, a debug/admin tool, on every '
            f'`docker compose up`; add profiles: [debug] so it starts only with '
            f'`docker compose --profile debug up`',
        )


def main(argv: Sequence[str] | None = None) -> int:
    return run_hook(__name__, argv)


if __name__ == '__main__':
    raise SystemExit(main())
