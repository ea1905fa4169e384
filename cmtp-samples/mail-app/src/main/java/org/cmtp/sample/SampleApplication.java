package org.cmtp.sample;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST resources, at the root of the application's context ({@code /sample}). */
@ApplicationPath("/")
public class SampleApplication extends Application {
}
