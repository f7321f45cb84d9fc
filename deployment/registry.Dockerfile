# The schema registry of compose.yaml: the Apicurio Registry distribution from Maven Central, the
# very one the local stack and the tests run (io.apicurio:apicurio-registry-app, the version in the
# root pom.xml), checked against its SHA-256, on the services' Java runtime pinned by digest. So no
# image of compose is taken by a tag that could be moved.
FROM eclipse-temurin:17-jre@sha256:207ecae0b2b104dfc6dfa763d1e9cd2041cb344800a180e24cb1a28ed533ff90
ARG VERSION=3.0.9
ARG SHA256=2b28181501a20cbf6efcd77f9b7153908fc01f3d3a7c32024c0bd9e1b04c8a43
RUN curl -fsSL -o /tmp/registry.tar.gz \
      "https://repo.maven.apache.org/maven2/io/apicurio/apicurio-registry-app/${VERSION}/apicurio-registry-app-${VERSION}-all.tar.gz" \
 && echo "${SHA256}  /tmp/registry.tar.gz" | sha256sum -c - \
 && mkdir /opt/registry && tar xzf /tmp/registry.tar.gz -C /opt/registry && rm /tmp/registry.tar.gz \
 && ln -s "/opt/registry/apicurio-registry-app-${VERSION}-runner.jar" /opt/registry/registry.jar \
 && useradd --system --uid 10001 registry \
 && mkdir -p /var/lib/registry && chown registry /var/lib/registry
USER registry
WORKDIR /opt/registry
EXPOSE 8080
# configured by the environment (APICURIO_STORAGE_KIND, APICURIO_DATASOURCE_URL, …); its H2 file
# under /var/lib/registry, the volume compose mounts there
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-Dquarkus.http.host=0.0.0.0", "-Dquarkus.http.port=8080", "-jar", "/opt/registry/registry.jar"]
