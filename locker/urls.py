app_name = "locker"
urlpatterns: list = []
