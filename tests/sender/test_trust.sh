#!/bin/sh
# Sender trust: hookmand against the real receiver on 127.0.0.1 where a
# delivery's fate is decided under pressure — a webhook deleted or edited
# while its request is in flight, a row that cannot be recorded, Retry-After,
# fairness between webhooks, hung receivers, a store locked by another
# process, and the small ones (enable wakes the sender, a damaged store).
. "$(dirname "$0")/lib.sh"
echo "# hookmand: $HOOKMAND"

summary
