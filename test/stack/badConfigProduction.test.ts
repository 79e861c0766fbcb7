// Bad config values for the production stack: each fails before any resource or API call.
import { describeBadConfig } from "../support/badConfig";

describeBadConfig("production");
