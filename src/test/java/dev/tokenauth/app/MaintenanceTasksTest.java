package dev.tokenauth.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import org.junit.jupiter.api.Test;

import dev.tokenauth.RecordedLogs;
import dev.tokenauth.audit.AuditTrail;
import dev.tokenauth.audit.RecordingAuditStore;
import dev.tokenauth.token.InMemoryTokenStore;
import dev.tokenauth.token.TokenService;
import dev.tokenauth.token.TokenServiceFixture;

/** What is pending is written once at a stop, by the JVM's shutdown hook or the application's stop. */
class MaintenanceTasksTest {

    private final AuditTrail audit = new AuditTrail(new RecordingAuditStore());
    private final TokenService tokens = TokenServiceFixture.on(new InMemoryTokenStore()).audit(audit).build();

    private static Thread hookOf(MaintenanceTasks tasks) throws ReflectiveOperationException {
        Field hook = MaintenanceTasks.class.getDeclaredField("stopHook");
        hook.setAccessible(true);
        return (Thread) hook.get(tasks);
    }

    @Test
    void theApplicationsStopWritesAndTakesItsHookOffTheJvm() throws Exception {
        MaintenanceTasks tasks = new MaintenanceTasks(tokens, audit, Duration.ofHours(1), Duration.ofHours(1));
        tasks.writeAtJvmStop();
        Thread hook = hookOf(tasks);

        tasks.close();

        assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "no hook of a stopped application stays");
    }

    @Test
    void theHookWritesOnceAndSaysSoAndAStopAfterItWritesNothingAgain() throws Exception {
        MaintenanceTasks tasks = new MaintenanceTasks(tokens, audit, Duration.ofHours(1), Duration.ofHours(1));
        tasks.writeAtJvmStop();
        Thread hook = hookOf(tasks);
        assertTrue(Runtime.getRuntime().removeShutdownHook(hook), "registered with the JVM");
        List<String> lines;
        try (RecordedLogs logs = RecordedLogs.of(Logger.getLogger(MaintenanceTasks.class.getName()))) {
            hook.run();
            tasks.close();
            hook.run();
            lines = logs.messages();
        }

        assertEquals(List.of("The JVM is stopping: pending last-use times and audit events written"), lines);
    }
}
