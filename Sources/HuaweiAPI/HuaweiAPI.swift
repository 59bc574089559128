// HuaweiAPI
