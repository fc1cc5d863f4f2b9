# One of the three services, from the jar the Maven build leaves in <module>/target/<module>.jar
# (./mvnw -B -ntp -DskipTests package at the root first). Built by docker-compose.yml with MODULE set to
# api-gateway-service, query-worker or delivery-worker, from the repository's root as context.
FROM eclipse-temurin:21.0.9_10-jre-noble AS extract
ARG MODULE
WORKDIR /build
COPY ${MODULE}/target/${MODULE}.jar application.jar
# Spring Boot's own layout for containers: the application's jar and its dependencies side by side, started without
# the fat jar's nested class loader.
RUN java -Djarmode=tools -jar application.jar extract --destination /build/application

FROM eclipse-temurin:21.0.9_10-jre-noble
RUN groupadd --system --gid 10001 spectra && useradd --system --uid 10001 --gid spectra --no-create-home spectra
COPY --from=extract /build/application /app
USER 10001:10001
# The management port (actuator: probes and /actuator/prometheus); the gateway's API is on 8080 as well.
EXPOSE 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/application.jar"]
