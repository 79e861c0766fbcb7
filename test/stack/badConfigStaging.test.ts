// Bad config values for the staging stack: each fails before any resource or API call.
import { describeBadConfig } from "../support/badConfig";

describeBadConfig("staging");
