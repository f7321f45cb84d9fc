# One image recipe for the four services: docker compose passes SERVICE (status-service,
# retry-service, billing-service, crm-sync-service). The build runs the project's own Maven
# wrapper, so the image holds exactly what `./mvnw package` builds.
# images pinned by digest: a tag may be moved, a digest names one image
FROM eclipse-temurin:17-jdk@sha256:5d6042fb8cdc14d614e4e421f52e3211fc5aeadddce44cbf9de8ed37c791f824 AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl ${SERVICE} -am package -DskipTests \
 && cp ${SERVICE}/target/${SERVICE}-*-exec.jar /service.jar

FROM eclipse-temurin:17-jre@sha256:207ecae0b2b104dfc6dfa763d1e9cd2041cb344800a180e24cb1a28ed533ff90
RUN useradd --system --uid 10001 tsuzuku
USER tsuzuku
COPY --from=build /service.jar /app/service.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/service.jar"]
