"""The SecretScanner port on detect-secrets' catalogue of vendors' key formats.

Its plugins are asked directly (`analyze_string`, pure regular expressions), not
through `scan_line`: that path goes through process-wide settings that each call
rewrites, and a plugin's `analyze_line` may *verify* a match by sending it to the
vendor's API when the verification filter is configured. A secret that a user
pasted by mistake must never leave the process.

Off, each for a reason a test shows:
- the two entropy detectors: any long word or hash is "high entropy" ("a cat in the sun" fails them);
- the keyword detector: it takes prose for assignments (`top secret: "classified"`); the domain's
  own assignment shape asks the value to look like a credential;
- the public IP detector: an address is not a credential, and prompts hold versions and addresses;
- the Artifactory detector: its "password" form is `AP` and nine letters or digits, which an
  all-caps word (APEXPREDATOR) or a sha512 integrity string matches;
- the Cloudant, IBM Cloud IAM, IBM COS HMAC and SoftLayer detectors: assignments (a name, then a
  value) with no literal for the regex engine to search for, so each is tried at every position:
  13-20 ms apiece on a 200 KB workflow, four times the rest together. The domain's assignment
  shape finds the same assignments (`cloudant_password = ...`, `ibm_cloud_iam_api_key = ...`);
  lost are Cloudant's letters-only legacy API keys and SoftLayer's retired API URL form;
- the OpenAI, JSON web token and npm detectors: their patterns backtrack over the rest of the
  text from every start, so a crafted text ("sk-", "eyJ" or "//" repeated) costs quadratic time:
  20,000 characters take half a second, 50,000 several. The domain's own shapes find the same
  credentials (OpenAI's legacy keys among AI providers' keys, formally valid JWTs, npm tokens and
  .npmrc lines) in linear time.
"""

from __future__ import annotations

from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.plugins.base import BasePlugin

OFF = frozenset(
    {
        "Base64HighEntropyString",
        "HexHighEntropyString",
        "KeywordDetector",
        "IPPublicDetector",
        "ArtifactoryDetector",
        "CloudantDetector",
        "IbmCloudIamDetector",
        "IbmCosHmacDetector",
        "SoftlayerDetector",
        "OpenAIDetector",
        "JwtTokenDetector",
        "NpmDetector",
    }
)

# detect-secrets' secret_type, as the domain's messages say it ("the text holds <kind>")
KINDS = {
    "AWS Access Key": "an AWS access key",
    "Azure Storage Account access key": "an Azure storage account key",
    "Basic Auth Credentials": "a URL with a user name and password",
    "Discord Bot Token": "a Discord bot token",
    "GitHub Token": "a GitHub token",
    "GitLab Token": "a GitLab token",
    "Mailchimp Access Key": "a Mailchimp API key",
    "Private Key": "a private key",
    "PyPI Token": "a PyPI token",
    "SendGrid API Key": "a SendGrid API key",
    "Slack Token": "a Slack token",
    "Square OAuth Secret": "a Square OAuth secret",
    "Stripe Access Key": "a Stripe key",
    "Telegram Bot Token": "a Telegram bot token",
    "Twilio API Key": "a Twilio API key",
}


class DetectSecretsScanner:
    """detect-secrets' specific detectors, each asked once over the whole text."""

    def __init__(self) -> None:
        classes: list[type[BasePlugin]] = list(get_mapping_from_secret_type_to_class().values())
        self.plugins: list[BasePlugin] = sorted(
            (cls() for cls in classes if cls.__name__ not in OFF), key=lambda p: type(p).__name__
        )

    @property
    def names(self) -> list[str]:
        """The detectors in use, by class name."""
        return [type(p).__name__ for p in self.plugins]

    def find(self, text: str) -> str | None:
        """The kind of the first vendor credential found, or None; the match itself is dropped."""
        for plugin in self.plugins:
            # the patterns are searched over the whole text at once: none of them crosses a line
            # break, and one pass is far cheaper than one per line of a pretty-printed workflow
            for _ in plugin.analyze_string(text):
                secret_type = str(plugin.secret_type)
                return KINDS.get(secret_type, f"a credential ({secret_type})")
        return None
