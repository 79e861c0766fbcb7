// Which AWS account and region a stack writes the token secret to, and what an existing secret's ARN
// must look like to be adopted. Pure; config.ts turns each refusal into a `pulumi config set` fix.
import { Region } from "@pulumi/aws/types/enums";

import { TOKEN_SECRET_NAME } from "./tokenPath";

/** Every region the installed AWS provider knows (@pulumi/aws `types/enums` Region): a typo is refused, not sent. */
export const AWS_REGIONS: readonly string[] = Object.values(Region);

export const AWS_ACCOUNT_ID = /^\d{12}$/;

/** The ARN partition of a region (arn:<partition>:…); commercial regions are `aws`. */
export function awsPartition(region: string): string {
    if (region.startsWith("cn-")) return "aws-cn";
    if (region.startsWith("us-gov-")) return "aws-us-gov";
    if (region.startsWith("us-isob-")) return "aws-iso-b";
    if (region.startsWith("us-isof-")) return "aws-iso-f";
    if (region.startsWith("us-iso-")) return "aws-iso";
    if (region.startsWith("eu-isoe-")) return "aws-iso-e";
    if (region.startsWith("eusc-")) return "aws-eusc";
    return "aws";
}

/**
 * Secrets Manager ARNs end in the secret's name, a hyphen and six random characters
 * (arn:aws:secretsmanager:us-east-1:123456789012:secret:unkey/alertmanager-incident-io-AbCdEf).
 */
const SECRET_ARN = /^arn:([a-z0-9-]+):secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)-([A-Za-z0-9]{6})$/;

/** Why `arn` is not the token secret of this account and region, or undefined when it is. With the
 * account or region unknown (themselves wrong in config), the ARN's own shape is still checked, so
 * one run names every bad value. */
export function tokenSecretArnProblem(arn: string, expected: { accountId?: string; region?: string }): string | undefined {
    const match = SECRET_ARN.exec(arn);
    const partitionOf = expected.region === undefined ? "<partition>" : awsPartition(expected.region);
    const example = `arn:${partitionOf}:secretsmanager:${expected.region ?? "<region>"}:${expected.accountId ?? "<account id>"}:secret:${TOKEN_SECRET_NAME}-AbCdEf`;
    if (!match)
        return `"${arn}" is not a Secrets Manager secret ARN (like ${example}; aws secretsmanager describe-secret --secret-id ${TOKEN_SECRET_NAME} --query ARN)`;
    const [, partition, region, accountId, name] = match;
    const wrong: string[] = [];
    if (expected.region !== undefined) {
        if (partition !== awsPartition(expected.region)) wrong.push(`partition ${partition}, not ${awsPartition(expected.region)}`);
        if (region !== expected.region) wrong.push(`region ${region}, not aws:region ${expected.region}`);
    }
    if (expected.accountId !== undefined && accountId !== expected.accountId)
        wrong.push(`account ${accountId}, not alert-routing:aws.accountId ${expected.accountId}`);
    if (name !== TOKEN_SECRET_NAME) wrong.push(`secret "${name}", not "${TOKEN_SECRET_NAME}"`);
    return wrong.length > 0 ? `names ${wrong.join(", ")}; adopting it would manage another secret` : undefined;
}
