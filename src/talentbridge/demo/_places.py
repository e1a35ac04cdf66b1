"""Places and institutions: universities, research institutes, agencies, industrial cities, company names."""

from __future__ import annotations

from talentbridge.domain.enums import Region

__all__ = [
    "UNIVERSITIES",
    "FOREIGN_UNIVERSITIES",
    "INSTITUTES",
    "AGENCIES",
    "STARTUP_REGIONS",
    "MANUFACTURER_REGIONS",
    "LARGE_REGIONS",
    "TALENT_REGIONS",
    "CITIES",
    "STARTUP_NAME_PARTS",
    "MAKER_NAME_PARTS",
    "GROUP_NAMES",
    "AFFILIATE_SUFFIXES",
    "FIELDS_OF_STUDY",
]

#: (Korean name, English name, region, weight as the school of an AI engineer).
UNIVERSITIES: list[tuple[str, str, Region, float]] = [
    ("KAIST", "KAIST", Region.DAEJEON, 9), ("서울대학교", "Seoul National University", Region.SEOUL, 9),
    ("POSTECH", "POSTECH", Region.GYEONGBUK, 5), ("UNIST", "UNIST", Region.ULSAN, 4),
    ("GIST", "GIST", Region.GWANGJU, 3), ("DGIST", "DGIST", Region.DAEGU, 2),
    ("연세대학교", "Yonsei University", Region.SEOUL, 7), ("고려대학교", "Korea University", Region.SEOUL, 7),
    ("성균관대학교", "Sungkyunkwan University", Region.GYEONGGI, 6), ("한양대학교", "Hanyang University", Region.SEOUL, 6),
    ("서강대학교", "Sogang University", Region.SEOUL, 3), ("중앙대학교", "Chung-Ang University", Region.SEOUL, 3),
    ("경희대학교", "Kyung Hee University", Region.GYEONGGI, 3), ("이화여자대학교", "Ewha Womans University", Region.SEOUL, 3),
    ("한국외국어대학교", "Hankuk University of Foreign Studies", Region.SEOUL, 1),
    ("부산대학교", "Pusan National University", Region.BUSAN, 4), ("경북대학교", "Kyungpook National University", Region.DAEGU, 4),
    ("전남대학교", "Chonnam National University", Region.GWANGJU, 2),
    ("충남대학교", "Chungnam National University", Region.DAEJEON, 2),
    ("인하대학교", "Inha University", Region.INCHEON, 3), ("아주대학교", "Ajou University", Region.GYEONGGI, 2),
    ("울산대학교", "University of Ulsan", Region.ULSAN, 2), ("창원대학교", "Changwon National University", Region.GYEONGNAM, 1),
    ("금오공과대학교", "Kumoh National Institute of Technology", Region.GYEONGBUK, 1),
    ("한국공학대학교", "Tech University of Korea", Region.GYEONGGI, 1),
    ("경상국립대학교", "Gyeongsang National University", Region.GYEONGNAM, 1),
    ("충북대학교", "Chungbuk National University", Region.CHUNGBUK, 1),
    ("전북대학교", "Jeonbuk National University", Region.JEONBUK, 1),
    ("강원대학교", "Kangwon National University", Region.GANGWON, 1),
    ("제주대학교", "Jeju National University", Region.JEJU, 0.5),
    ("한국기술교육대학교", "KOREATECH", Region.CHUNGNAM, 1), ("호서대학교", "Hoseo University", Region.CHUNGNAM, 0.5),
    ("영남대학교", "Yeungnam University", Region.GYEONGBUK, 1), ("동아대학교", "Dong-A University", Region.BUSAN, 0.5),
    ("세종대학교", "Sejong University", Region.SEOUL, 1), ("국민대학교", "Kookmin University", Region.SEOUL, 1),
]  # fmt: skip

#: nationality → universities abroad.
FOREIGN_UNIVERSITIES: dict[str, list[str]] = {
    "VN": ["Hanoi University of Science and Technology", "Vietnam National University, Ho Chi Minh City"],
    "IN": ["IIT Bombay", "IIT Delhi", "IIT Madras", "Anna University", "BITS Pilani"],
    "CN": [
        "Tsinghua University",
        "Zhejiang University",
        "Harbin Institute of Technology",
        "Yanbian University",
    ],
    "UZ": ["Tashkent University of Information Technologies", "Inha University in Tashkent"],
    "ID": ["Institut Teknologi Bandung", "Universitas Indonesia"],
    "US": ["UC Berkeley", "Georgia Institute of Technology", "University of Washington", "Purdue University"],
    "MN": ["National University of Mongolia", "Mongolian University of Science and Technology"],
    "PH": ["University of the Philippines Diliman", "Ateneo de Manila University"],
    "NP": ["Tribhuvan University", "Kathmandu University"],
    "FR": ["École Polytechnique", "Université Paris-Saclay"],
}

#: Government-funded research institutes: (Korean, English, region).
INSTITUTES: list[tuple[str, str, Region]] = [
    ("한국전자통신연구원", "ETRI", Region.DAEJEON), ("한국과학기술연구원", "KIST", Region.SEOUL),
    ("한국기계연구원", "KIMM", Region.DAEJEON), ("한국생산기술연구원", "KITECH", Region.CHUNGNAM),
    ("한국전기연구원", "KERI", Region.GYEONGNAM), ("한국과학기술정보연구원", "KISTI", Region.DAEJEON),
    ("한국표준과학연구원", "KRISS", Region.DAEJEON), ("한국화학연구원", "KRICT", Region.DAEJEON),
    ("한국재료연구원", "KIMS", Region.GYEONGNAM), ("한국자동차연구원", "KATECH", Region.CHUNGNAM),
    ("한국전자기술연구원", "KETI", Region.GYEONGGI), ("한국로봇융합연구원", "KIRO", Region.GYEONGBUK),
    ("한국에너지기술연구원", "KIER", Region.DAEJEON), ("한국철도기술연구원", "KRRI", Region.GYEONGGI),
    ("한국항공우주연구원", "KARI", Region.DAEJEON), ("한국건설기술연구원", "KICT", Region.GYEONGGI),
]  # fmt: skip

#: Public agencies and regional technoparks that run AI talent programmes.
AGENCIES: list[tuple[str, str, Region]] = [
    ("정보통신산업진흥원", "NIPA", Region.CHUNGBUK), ("한국산업기술진흥원", "KIAT", Region.SEOUL),
    ("창업진흥원", "KISED", Region.SEJONG), ("한국지능정보사회진흥원", "NIA", Region.DAEGU),
    ("중소벤처기업진흥공단", "KOSME", Region.GYEONGNAM), ("울산테크노파크", "Ulsan Technopark", Region.ULSAN),
    ("경남테크노파크", "Gyeongnam Technopark", Region.GYEONGNAM), ("포항테크노파크", "Pohang Technopark", Region.GYEONGBUK),
    ("대전테크노파크", "Daejeon Technopark", Region.DAEJEON), ("충남테크노파크", "Chungnam Technopark", Region.CHUNGNAM),
    ("구미전자정보기술원", "GERI", Region.GYEONGBUK), ("광주과학기술진흥원", "Gwangju Science Promotion Agency", Region.GWANGJU),
    ("경기도경제과학진흥원", "GBSA", Region.GYEONGGI), ("부산정보산업진흥원", "BIPA", Region.BUSAN),
]  # fmt: skip

#: Where AI startups cluster: Seoul (Gangnam, Seongsu), Pangyo (Gyeonggi), Daejeon (Daedeok), then the rest.
STARTUP_REGIONS: list[tuple[Region, float]] = [
    (Region.SEOUL, 50), (Region.GYEONGGI, 27), (Region.DAEJEON, 8), (Region.BUSAN, 3), (Region.GWANGJU, 3),
    (Region.DAEGU, 2), (Region.INCHEON, 2), (Region.ULSAN, 1), (Region.GYEONGBUK, 1), (Region.GYEONGNAM, 1),
    (Region.SEJONG, 1), (Region.JEJU, 0.5), (Region.GANGWON, 0.5),
]  # fmt: skip

#: Industrial belts: Ulsan, Changwon (Gyeongnam), Gumi and Pohang (Gyeongbuk), Asan (Chungnam), Hwaseong/Ansan.
MANUFACTURER_REGIONS: list[tuple[Region, float]] = [
    (Region.ULSAN, 14), (Region.GYEONGNAM, 16), (Region.GYEONGBUK, 15), (Region.CHUNGNAM, 12),
    (Region.GYEONGGI, 16), (Region.INCHEON, 5), (Region.BUSAN, 6), (Region.DAEGU, 5), (Region.CHUNGBUK, 5),
    (Region.GWANGJU, 3), (Region.JEONBUK, 2), (Region.JEONNAM, 1),
]  # fmt: skip

LARGE_REGIONS: list[tuple[Region, float]] = [
    (Region.SEOUL, 45), (Region.GYEONGGI, 25), (Region.ULSAN, 8), (Region.GYEONGNAM, 7), (Region.GYEONGBUK, 7),
    (Region.CHUNGNAM, 5), (Region.INCHEON, 3),
]  # fmt: skip

#: Where talent lives (roughly population × AI employment).
TALENT_REGIONS: list[tuple[Region, float]] = [
    (Region.SEOUL, 30), (Region.GYEONGGI, 28), (Region.DAEJEON, 6), (Region.BUSAN, 5), (Region.INCHEON, 4),
    (Region.DAEGU, 3.5), (Region.GYEONGNAM, 4), (Region.GYEONGBUK, 3.5), (Region.ULSAN, 3), (Region.CHUNGNAM, 3),
    (Region.GWANGJU, 2.5), (Region.CHUNGBUK, 2), (Region.JEONBUK, 1.5), (Region.JEONNAM, 1), (Region.GANGWON, 1),
    (Region.SEJONG, 1), (Region.JEJU, 0.5),
]  # fmt: skip

#: Cities and districts for addresses in descriptions.
CITIES: dict[Region, list[str]] = {
    Region.SEOUL: [
        "서울 강남구 테헤란로",
        "서울 서초구",
        "서울 성동구 성수동",
        "서울 마포구 상암동",
        "서울 구로구 구로디지털단지",
    ],
    Region.GYEONGGI: [
        "성남시 분당구 판교",
        "수원시 영통구",
        "화성시 동탄",
        "안산시 반월국가산단",
        "용인시 기흥구",
        "평택시",
    ],
    Region.DAEJEON: ["대전 유성구 대덕연구개발특구", "대전 유성구 도룡동"],
    Region.ULSAN: ["울산 남구 울산미포국가산단", "울산 북구 효문동", "울산 울주군 온산국가산단"],
    Region.GYEONGNAM: ["창원시 성산구 창원국가산단", "창원시 의창구", "김해시", "거제시"],
    Region.GYEONGBUK: ["구미시 구미국가산단", "포항시 남구", "경산시"],
    Region.CHUNGNAM: ["아산시 탕정면", "천안시 서북구", "당진시"],
    Region.INCHEON: ["인천 연수구 송도", "인천 남동구 남동국가산단"],
    Region.BUSAN: ["부산 해운대구 센텀시티", "부산 강서구 녹산국가산단"],
    Region.DAEGU: ["대구 달성군 테크노폴리스", "대구 북구 침산동"],
    Region.GWANGJU: ["광주 북구 첨단과학산단", "광주 광산구 하남산단"],
    Region.CHUNGBUK: ["청주시 오창읍", "진천군"],
    Region.JEONBUK: ["전주시 덕진구", "군산시"],
    Region.JEONNAM: ["여수시 여수국가산단", "나주시 빛가람동"],
    Region.GANGWON: ["춘천시", "원주시"],
    Region.SEJONG: ["세종시 나성동"],
    Region.JEJU: ["제주시 첨단과학기술단지"],
}

#: AI startup names: prefix + middle + suffix, each (Korean, English).
STARTUP_NAME_PARTS: tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]] = (
    [("딥", "Deep"), ("뉴로", "Neuro"), ("비전", "Vision"), ("스마트", "Smart"), ("퀀텀", "Quantum"),
     ("코그", "Cog"), ("마인드", "Mind"), ("알파", "Alpha"), ("로보", "Robo"), ("데이터", "Data"),
     ("인사이트", "Insight"), ("오토", "Auto"), ("센스", "Sense"), ("메타", "Meta"), ("하이퍼", "Hyper"),
     ("노바", "Nova"), ("루멘", "Lumen"), ("브레인", "Brain"), ("옵티", "Opti"), ("시냅스", "Synapse"),
     ("픽셀", "Pixel"), ("리얼", "Real"), ("포커스", "Focus"), ("에이펙스", "Apex"), ("벡터", "Vector"),
     ("큐브", "Cube"), ("그리드", "Grid"), ("온", "On"), ("웨이브", "Wave"), ("코어", "Core")],
    [("", ""), ("에이아이", "AI"), ("센스", "Sense"), ("팩토리", "Factory"), ("로직", "Logic"), ("젠", "Gen"),
     ("마인드", "Mind"), ("아이", "Eye"), ("넷", "Net"), ("봇", "Bot"), ("스케일", "Scale"), ("플로", "Flow"),
     ("웨어", "Ware"), ("레이", "Ray"), ("빗", "Bit"), ("라이트", "Light")],
    [("랩스", "Labs"), ("웍스", "Works"), ("테크", "Tech"), ("소프트", "Soft"), ("다이나믹스", "Dynamics"),
     ("시스템즈", "Systems"), ("인텔리전스", "Intelligence"), ("에이아이", "AI"), ("허브", "Hub"), ("엑스", "X"),
     ("로보틱스", "Robotics"), ("애널리틱스", "Analytics"), ("솔루션즈", "Solutions"), ("", "")],
)  # fmt: skip

#: Manufacturer names: prefix + product word.
MAKER_NAME_PARTS: tuple[list[tuple[str, str]], list[tuple[str, str]]] = (
    [("대성", "Daesung"), ("한일", "Hanil"), ("동양", "Dongyang"), ("세진", "Sejin"), ("우신", "Woosin"),
     ("삼원", "Samwon"), ("신흥", "Shinheung"), ("대원", "Daewon"), ("영진", "Youngjin"), ("태광", "Taekwang"),
     ("금강", "Geumgang"), ("동아", "Donga"), ("현성", "Hyunsung"), ("경원", "Kyungwon"), ("일진", "Iljin"),
     ("화승", "Hwaseung"), ("성우", "Sungwoo"), ("대동", "Daedong"), ("유진", "Eugene"), ("광진", "Kwangjin"),
     ("청우", "Chungwoo"), ("서진", "Seojin"), ("명성", "Myungsung"), ("화인", "Hwain"), ("진영", "Jinyoung"),
     ("동신", "Dongshin"), ("제일", "Jeil"), ("태양", "Taeyang"), ("삼보", "Sambo"), ("대림", "Daelim"),
     ("한솔", "Hansol"), ("우진", "Woojin"), ("신화", "Shinhwa"), ("보성", "Bosung"), ("영풍", "Youngpoong"),
     ("창원", "Changwon"), ("울산", "Ulsan"), ("구미", "Gumi"), ("포항", "Pohang"), ("아산", "Asan")],
    [("정밀", "Precision"), ("금속", "Metal"), ("기계", "Machinery"), ("오토텍", "Autotech"), ("산업", "Industries"),
     ("테크", "Tech"), ("전자", "Electronics"), ("화학", "Chemical"), ("중공업", "Heavy Industries"),
     ("모터스", "Motors"), ("엔지니어링", "Engineering"), ("하이텍", "Hitech"), ("소재", "Materials"),
     ("부품", "Parts"), ("케미칼", "Chemical"), ("철강", "Steel"), ("플라스틱", "Plastics"), ("전기", "Electric"),
     ("정공", "Precision Works"), ("이엔지", "ENG"), ("다이캐스팅", "Die Casting"), ("디스플레이", "Display"),
     ("배터리", "Battery"), ("반도체", "Semiconductor"), ("로보텍", "Robotec")],
)  # fmt: skip

#: Fictional business groups (기업집단) for large enterprises and their affiliates.
GROUP_NAMES: list[tuple[str, str]] = [
    ("한빛", "Hanbit"), ("대양", "Daeyang"), ("새솔", "Saesol"), ("미래", "Mirae"), ("청해", "Cheonghae"),
    ("동방", "Dongbang"), ("하늘", "Haneul"), ("누리", "Nuri"), ("가온", "Gaon"), ("태백", "Taebaek"),
    ("한결", "Hangyeol"), ("온누리", "Onnuri"), ("바른", "Bareun"), ("세움", "Seum"), ("다솜", "Dasom"),
]  # fmt: skip
AFFILIATE_SUFFIXES: list[tuple[str, str, str]] = [
    # (Korean suffix, English suffix, KSIC section)
    ("전자", "Electronics", "C"), ("중공업", "Heavy Industries", "C"), ("자동차", "Motor", "C"),
    ("화학", "Chemical", "C"), ("정보통신", "ICT", "J"), ("디스플레이", "Display", "C"), ("반도체", "Semiconductor", "C"),
    ("조선해양", "Shipbuilding & Offshore", "C"), ("제철", "Steel", "C"), ("로지스틱스", "Logistics", "H"),
    ("에너지솔루션", "Energy Solution", "C"), ("시스템", "Systems", "J"), ("유통", "Retail", "G"),
]  # fmt: skip

#: (Korean, English, weight) fields of study of AI talent.
FIELDS_OF_STUDY: list[tuple[str, str, float]] = [
    ("컴퓨터공학", "Computer Science", 30), ("전기전자공학", "Electrical Engineering", 15),
    ("인공지능학", "Artificial Intelligence", 10), ("산업공학", "Industrial Engineering", 7),
    ("기계공학", "Mechanical Engineering", 8), ("통계학", "Statistics", 7), ("수학", "Mathematics", 5),
    ("데이터사이언스", "Data Science", 6), ("화학공학", "Chemical Engineering", 3), ("신소재공학", "Materials Science", 3),
    ("물리학", "Physics", 3), ("로봇공학", "Robotics", 3),
]  # fmt: skip
