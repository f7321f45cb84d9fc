#!/bin/sh
# The broker's own client settings on its internal listener (PLAIN over TLS, its password a secret file),
# written to /tmp/internal.properties; with "create", every principal's SCRAM credential is then
# set from its secret file (docs/security.md, "The bus"). compose runs it as the broker's health
# check and as the one-shot kafka-principals step.
set -eu
cat > /tmp/internal.properties <<PROPERTIES
security.protocol=SASL_SSL
ssl.truststore.type=PEM
ssl.truststore.location=/run/secrets/kafka-truststore.pem
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="broker" password="$(cat /run/secrets/kafka-broker-password)";
PROPERTIES
# the name the broker's certificate is for
bootstrap=kafka:9094
if [ "${1:-}" != "create" ]; then
  exec /opt/kafka/bin/kafka-broker-api-versions.sh --bootstrap-server "$bootstrap" --command-config /tmp/internal.properties > /dev/null
fi
for file in /run/kafka-passwords/*; do
  principal=$(basename "$file")
  /opt/kafka/bin/kafka-configs.sh --bootstrap-server "$bootstrap" --command-config /tmp/internal.properties --alter \
    --add-config "SCRAM-SHA-512=[password=$(cat "$file")]" --entity-type users --entity-name "$principal"
done
