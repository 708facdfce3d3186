"""Every rule of the collection: code, hook id, module and the kind of file it reads.

Kept static so that listing codes, validating pragmas and configuration needs no rule imports.
"""
from __future__ import annotations

import sys
from types import ModuleType

from dockhooks._records import NamedTuple


class RuleInfo(NamedTuple):
    code: str
    hook: str
    module: str
    kind: str  # 'dockerfile' | 'compose' | 'dockerignore' | 'envfile'


RULES: tuple[RuleInfo, ...] = (
    RuleInfo('DH101', 'dockerfile-pinned-base-image', 'dockerfile_pinned_base_image', 'dockerfile'),
    RuleInfo('DH102', 'dockerfile-non-root-user', 'dockerfile_non_root_user', 'dockerfile'),
    RuleInfo('DH103', 'dockerfile-no-secrets', 'dockerfile_no_secrets', 'dockerfile'),
    RuleInfo('DH104', 'dockerfile-no-build-tools-in-final-stage',
             'dockerfile_no_build_tools_in_final_stage', 'dockerfile'),
    RuleInfo('DH105', 'dockerfile-dependencies-before-source',
             'dockerfile_dependencies_before_source', 'dockerfile'),
    RuleInfo('DH106', 'dockerfile-clean-package-install', 'dockerfile_clean_package_install',
             'dockerfile'),
    RuleInfo('DH107', 'dockerfile-combine-runs', 'dockerfile_combine_runs', 'dockerfile'),
    RuleInfo('DH201', 'compose-pinned-images', 'compose_pinned_images', 'compose'),
    RuleInfo('DH202', 'compose-healthchecks', 'compose_healthchecks', 'compose'),
    RuleInfo('DH203', 'compose-debug-profiles', 'compose_debug_profiles', 'compose'),
    RuleInfo('DH204', 'compose-resource-limits', 'compose_resource_limits', 'compose'),
    RuleInfo('DH205', 'compose-read-only', 'compose_read_only', 'compose'),
    RuleInfo('DH206', 'compose-no-secrets', 'compose_no_secrets', 'compose'),
    RuleInfo('DH301', 'dockerignore-complete', 'dockerignore_complete', 'context'),
    RuleInfo('DH302', 'no-committed-env-files', 'no_committed_env_files', 'envfile'),
)

# Codes that are not rules: they come from reading files and pragmas.
META_CODES = {
    'DH001': 'the file cannot be read or parsed',
    'DH002': 'a suppression pragma names an unknown code',
}

BY_CODE = {r.code: r for r in RULES}
BY_HOOK = {r.hook: r for r in RULES}
KNOWN_CODES = frozenset(BY_CODE) | frozenset(META_CODES)


def load(info: RuleInfo) -> ModuleType:
    name = f'dockhooks.{info.module}'
    __import__(name)  # importlib.import_module would import importlib and warnings (~1 ms)
    return sys.modules[name]
