package dev.tokenauth.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The plan of the code, as a test. The library another application links against is {@code web} (the filter, the
 * endpoints' servlets, the Jakarta Authentication module) with the layers below it; {@code site} (our pages) and
 * {@code app} (the wiring) are this application's own.
 */
@AnalyzeClasses(packages = "dev.tokenauth", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("app").definedBy("dev.tokenauth.app..")
            .layer("site").definedBy("dev.tokenauth.site..")
            .layer("web").definedBy("dev.tokenauth.web..")
            .layer("services").definedBy("dev.tokenauth.admin..")
            .layer("domain").definedBy("dev.tokenauth.token..", "dev.tokenauth.user..", "dev.tokenauth.audit..",
                    "dev.tokenauth.webhook..")
            .layer("persistence").definedBy("dev.tokenauth.persistence..")
            .layer("remote").definedBy("dev.tokenauth.remote..")
            .layer("metrics").definedBy("dev.tokenauth.metrics..")
            .layer("base").definedBy("dev.tokenauth.config..", "dev.tokenauth.throttle..", "dev.tokenauth.log..")
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("site").mayOnlyBeAccessedByLayers("app")
            .whereLayer("web").mayOnlyBeAccessedByLayers("site", "app")
            .whereLayer("services").mayOnlyBeAccessedByLayers("web", "site", "app")
            .whereLayer("persistence").mayOnlyBeAccessedByLayers("app")
            .whereLayer("remote").mayOnlyBeAccessedByLayers("app")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("web", "site", "app")
            .whereLayer("domain").mayOnlyBeAccessedByLayers("services", "web", "site", "app", "persistence", "metrics",
                    "remote")
            .whereLayer("base").mayOnlyBeAccessedByLayers("domain", "services", "web", "site", "app", "persistence",
                    "metrics", "remote");

    /** The remote mode opens no database: it must not even load a class of one. */
    @ArchTest
    static final ArchRule remoteModeKnowsNoDatabase = noClasses()
            .that().resideInAnyPackage("dev.tokenauth.remote..")
            .or().haveFullyQualifiedName("dev.tokenauth.app.RemoteTokenAuthApplication")
            .should().dependOnClassesThat().resideInAnyPackage("dev.tokenauth.persistence..", "jakarta.persistence..",
                    "org.eclipse.persistence..", "org.apache.derby..");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.tokenauth.(*)..").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule webAndTokensKnowNoPersistence = noClasses()
            .that().resideInAnyPackage("dev.tokenauth.web..", "dev.tokenauth.token..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.tokenauth.persistence..", "jakarta.persistence..",
                    "org.eclipse.persistence..");
}
