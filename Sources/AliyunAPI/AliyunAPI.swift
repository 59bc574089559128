// AliyunAPI
