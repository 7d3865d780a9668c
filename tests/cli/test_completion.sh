#!/bin/bash
# bash completion: commands, webhook names (spaces and all), event ids.
. "$(dirname "$0")/lib.sh"
bindir=$(dirname "$HOOKMAN_BIN")
PATH="$bindir:$PATH"
. "$(dirname "$0")/../../data/bash-completion/hookman"

# complete WORDS...: what bash would offer for the last word.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_hookman
	printf '%s\n' "${COMPREPLY[@]}" >"$T/out"
}

test_case "completion"
hm add --name "ops slack" --url http://127.0.0.1:9/ --events all >/dev/null
hm add --name "jira" --url http://127.0.0.1:9/ --events detection.created >/dev/null
complete_words hookman de
expect_out "deliveries"
expect_out "delivery"
complete_words hookman --store "$STORE" show o
expect_out_eq 'ops\ slack'
complete_words hookman --store "$STORE" fire detection_g
expect_out "detection_group.created"
expect_out "detection_group.updated"
complete_words hookman --store "$STORE" add --events admin.login,audit.cr
expect_out_eq "admin.login,audit.create"
complete_words hookman --store "$STORE" add --pre
expect_out "--preset"
complete_words hookman --store "$STORE" edit jira --ra
expect_out_eq "--rate"
complete_words hookman add --ret
expect_out_eq "--retry-schedule"
complete_words hookman add --rate n
expect_out_eq "none"
complete_words hookman edit jira --retry-schedule d
expect_out_eq "default"
complete_words hookman pr
expect_out "prune"
complete_words hookman met
expect_out_eq "metrics"
complete_words hookman aud
expect_out_eq "audit"
complete_words hookman audit --si
expect_out_eq "--since"
complete_words hookman --store "$STORE" audit o
expect_out_eq 'ops\ slack'
complete_words hookman prune --o
expect_out_eq "--older-than"
complete_words hookman --store "$STORE" hold o
expect_out_eq 'ops\ slack'
complete_words hookman hold --d
expect_out_eq "--drop"
complete_words hookman release --ev
expect_out_eq "--event"
complete_words hookman --store "$STORE" hold --event detection.cr
expect_out_eq "detection.created"
complete_words hookman deliveries --state dro
expect_out_eq "dropped"
complete_words hookman redeliver 1 --re
expect_out_eq "--rerender"
complete_words hookman render jira --di
expect_out_eq "--diff"
complete_words hookman ta
expect_out_eq "tail"
complete_words hookman --store "$STORE" tail -f jira o
expect_out_eq 'ops\ slack'
complete_words hookman --store "$STORE" tail --state ""
expect_out_eq "$(printf 'delivered\nfailed\ndead')"
complete_words hookman --store "$STORE" deliveries --state p
expect_out_eq "pending"
complete_words hookman tail --f
expect_out_eq "--follow"
complete_words hookman add --coal
expect_out_eq "--coalesce"
complete_words hookman edit x --coalesce n
expect_out_eq "none"
complete_words hookman payload check --f
expect_out_eq "--for"
complete_words hookman payload check --for s
expect_out_eq "$(printf 'slack\nservicenow')"
complete_words hookman --store "$STORE" hold jira --for 1
expect_out_eq "$(printf '15m\n1h\n1d')"
complete_words hookman --store "$STORE" redeliver --webhook jira --state dead --since 7
expect_out_eq "7d"
complete_words hookman rot
expect_out_eq "rotate-secret"
complete_words hookman --store "$STORE" rotate-secret j
expect_out_eq "jira"
complete_words hookman rotate-secret jira --g
expect_out_eq "--grace"
complete_words hookman rotate-secret jira --grace 2
expect_out_eq "24h"
complete_words hookman pla
expect_out_eq "plan"
complete_words hookman ap
expect_out_eq "apply"
complete_words hookman apply conf.json --pr
expect_out_eq "--prune"
complete_words hookman plan --p
expect_out_eq "--prune"
: >"$T/webhooks.json"
complete_words hookman plan "$T/webhooks.j"
expect_out_eq "$T/webhooks.json"
complete_words hookman sender st
expect_out "start"
expect_out "status"
complete_words hookman sto
expect_out_eq "store"
complete_words hookman store ""
expect_out_eq "$(printf 'init\ncopy')"
complete_words hookman --run
expect_out_eq "--run-dir"
summary
