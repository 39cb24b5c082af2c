package dev.resnetops.orchestrator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** What an operator looks at: health, metrics, the API description, the preset list. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void isReadyWithDatabaseAndOutboxRelayUp() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("outbox-relay"));
    }

    @Test
    void readinessNamesEveryBackgroundLoopWithItsState() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'background-loops' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'background-loops' }.data.'outbox-relay'", equalTo("RUNNING"))
                .body("checks.find { it.name == 'background-loops' }.data.'workflow-engine'", equalTo("RUNNING"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("outbox_published_total"));
    }

    @Test
    void describesTheApiWithOpenApiAndSwaggerUi() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/jobs/{id}/cancel")).body(containsString("/datasets"))
                .body(containsString("bearer"));
        given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void listsTheModelPresets() {
        given().get("/models/presets").then().statusCode(200)
                .body("name", hasItems("resnet50", "resnet50-paper", "resnet50-d", "resnet50-paper-small"));
    }
}
