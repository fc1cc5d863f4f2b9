# The local stack's jar (local-stack/target/spectra-local.jar, from ./mvnw -B -ntp -DskipTests package) as an image
# for docker-compose.yml: the Redshift Data API emulator (dev.spectra.local.dataapi.DataApiEmulatorMain), the one-shot
# provisioning (dev.spectra.local.ComposeProvisioning) and the secrets it starts from. The command names the main class.
FROM eclipse-temurin:21.0.9_10-jre-noble AS extract
WORKDIR /build
COPY local-stack/target/spectra-local.jar spectra-local.jar
RUN java -Djarmode=tools -jar spectra-local.jar extract --destination /build/application

FROM eclipse-temurin:21.0.9_10-jre-noble
RUN groupadd --system --gid 10001 spectra && useradd --system --uid 10001 --gid spectra --no-create-home spectra
# Where compose mounts its named volumes: a new volume takes this owner, so that the non-root user can write to it.
RUN mkdir -p /var/lib/spectra/warehouse-secret /var/lib/spectra/gateway-secrets /var/lib/spectra/tenants /var/lib/spectra/data-api \
    && chown -R 10001:10001 /var/lib/spectra
COPY --from=extract /build/application /app
USER 10001:10001
# The Data API emulator's port.
EXPOSE 9500
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/app/spectra-local.jar"]
