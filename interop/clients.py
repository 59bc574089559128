"""The official Alibaba Cloud SDKs, driven generically by action name and wire parameters.

`NewSDK` is alibabacloud_slb20140515 (Tea/Darabonba): V3 ACS3-HMAC-SHA256 by default, V1 HMAC-SHA1 with
`signature_algorithm='v2'`. Requests are built with the SDK's own models (`<Action>Request().from_map(...)`)
and sent with the SDK's own method for the action. `OldSDK` is aliyunsdkcore's AcsClient with the aliyunsdkslb
request classes (V1, `%20` encoding, empty `SignatureType=`). Both raise `ApiError` with the server's code.
"""
import importlib
import json

from alibabacloud_slb20140515 import models as slb_models
from alibabacloud_slb20140515.client import Client
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi.exceptions import AlibabaCloudException
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient

AK = "GHINTEROPTESTKEY00000001"
SK = "interop-test-secret-0123456789"


class ApiError(Exception):
    def __init__(self, code, status, message):
        super().__init__(f"{status} {code}: {message}")
        self.code, self.status, self.message = code, status, message


class NewSDK:
    def __init__(self, endpoint, access_key, secret, signature_v1=False):
        config = open_api_models.Config(access_key_id=access_key, access_key_secret=secret, endpoint=endpoint,
                                        protocol="http", region_id="cn-hangzhou")
        if signature_v1:
            config.signature_algorithm = "v2"
        self.client = Client(config)
        self.methods = {name.replace("_", ""): getattr(self.client, name) for name in dir(self.client)
                        if not name.startswith("_") and not name.endswith(("_with_options", "_async"))}

    def call(self, action, params):
        request = getattr(slb_models, action + "Request")().from_map(params)
        try:
            response = self.methods[action.lower()](request)
        except AlibabaCloudException as error:
            raise ApiError(error.code, error.status_code, error.message) from None
        return response.body.to_map()


class OldSDK:
    def __init__(self, endpoint, access_key, secret):
        self.endpoint = endpoint
        self.client = AcsClient(access_key, secret, "cn-hangzhou")

    def call(self, action, params):
        module = importlib.import_module(f"aliyunsdkslb.request.v20140515.{action}Request")
        request = getattr(module, action + "Request")()
        request.set_endpoint(self.endpoint)
        for key, value in flatten(params):
            request.add_query_param(key, value)
        try:
            return json.loads(self.client.do_action_with_exception(request))
        except ServerException as error:
            raise ApiError(error.get_error_code(), error.get_http_status(), error.get_error_msg()) from None


def flatten(params):
    """Wire form of nested parameters: lists become Name.N, lists of objects Name.N.Field."""
    for key, value in params.items():
        if isinstance(value, list):
            for index, item in enumerate(value, start=1):
                if isinstance(item, dict):
                    for field, inner in item.items():
                        yield f"{key}.{index}.{field}", inner
                else:
                    yield f"{key}.{index}", item
        elif isinstance(value, bool):
            yield key, str(value)
        else:
            yield key, value


def make_aliyun(endpoint):
    """The new Alibaba SDK with its default V3 signature."""
    return NewSDK(endpoint, AK, SK, signature_v1=False)
