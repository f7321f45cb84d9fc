# One image recipe for the four services: docker compose passes SERVICE (status-service,
# retry-service, billing-service, crm-sync-service). The build runs the project's own Maven
# wrapper, so the image holds exactly what `./mvnw package` builds.
FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -pl ${SERVICE} -am package -DskipTests \
 && cp ${SERVICE}/target/${SERVICE}-*-exec.jar /service.jar

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 tsuzuku
USER tsuzuku
COPY --from=build /service.jar /app/service.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/service.jar"]
