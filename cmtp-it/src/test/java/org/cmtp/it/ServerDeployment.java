package org.cmtp.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The deployment under test: the very WAR that {@code ./cmtp-server} runs (carrying the
 * EJB module), deployed at the root context. The RAR is deployed before it by the
 * post-boot commands (see cmtp-it/pom.xml).
 */
final class ServerDeployment {

    private ServerDeployment() {
    }

    static WebArchive war() {
        File war = new File(System.getProperty("it.micro.dir", "target/micro"), "ROOT.war");
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
    }
}
