package dev.resnetops.orchestrator.rest;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI document's header ({@code /q/openapi}, Swagger UI at {@code /q/swagger-ui}). */
@OpenAPIDefinition(info = @Info(title = "resnetops platform API", version = "1",
        description = "Register image datasets and train the improved ResNet-50 (and its baselines) on them."
                + " Every request needs 'Authorization: Bearer <token>' with a role (viewer reads, submitter starts"
                + " work, admin promotes): ./mlops token create --role ROLE (docs/security.md)."))
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer")
public class ApiDocumentation extends Application {
}
